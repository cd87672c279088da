import type { RegistryLayer } from "../registry/index.js";
import type { RecordHead, ScanEvent } from "../events.js";
import type { ArchiveFormat } from "../sources/archive/index.js";
import type { MessagePort } from "node:worker_threads";

/** What a triage worker needs to rebuild the scan context: plain data only. */
export interface WorkerConfig {
  layers: readonly RegistryLayer[];
  deep: boolean;
  maxBytes: number;
  timeoutMs: number;
}

export interface TriageJob {
  path: string;
  explicit: boolean;
  /** Whether a sidecar lies beside the file, when the walk knew (sources/file.ts). */
  sidecar?: boolean;
}

export interface BatchRequest {
  id: number;
  jobs: TriageJob[];
}

/**
 * A record as a worker sends it: JSON text, with the head the scan's thread counts and routes it
 * by (the scan's thread makes a RecordText of it, and parses the text only if asked for the record).
 */
export interface RecordTextMessage {
  type: "record-text";
  head: RecordHead;
  json: string;
}

export interface JobResult {
  /** An archive is only named: the scan's own thread reads its entries. */
  event: ScanEvent | RecordTextMessage | { type: "archive"; format: ArchiveFormat };
}

export interface BatchResponse {
  type: "batch";
  id: number;
  results: JobResult[];
  /** Bytes the worker read for the batch's files (triage and deep pass). */
  bytes: number;
}

/** What a worker posts: once that it is ready (its registry built), then one response per batch. */
export type WorkerMessage = { type: "ready" } | BatchResponse;

/**
 * A worker's start: its configuration, and the port it answers on (WorkerMessage), which the
 * scan's thread can read without waiting for an event-loop turn (TriagePool.poll).
 */
export interface WorkerStart {
  config: WorkerConfig;
  answers: MessagePort;
}
