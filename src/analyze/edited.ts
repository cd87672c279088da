/**
 * edited: the file is not as the camera wrote it. Evidence, strongest first: an editor's name in
 * Software (which on a phone held the firmware build: that evidence is gone), in XMP CreatorTool
 * or in the XMP history (which also says what changed: "/metadata" only, or the pixels); JPEG
 * quantization tables only Adobe's software writes; pixels scaled down from the size in EXIF; a
 * ModifyDate days after the capture.
 */
import type { Evidence, XmpHistoryEntry } from "../extract/authenticity.js";
import type { CameraSample, Finding, Severity } from "../record.js";
import type { LookupResult } from "../registry/index.js";
import type { Rule } from "./context.js";
import { editorOf } from "./editors.js";
import { relateSizes, showSize } from "./pixels.js";
import { moment, showGap, showTime } from "./time.js";

/** A ModifyDate this long after the capture means the file was rewritten later. */
const REWRITTEN_AFTER_SECONDS = 86_400;

function edited(severity: Severity, message: string): Finding {
  return { code: "edited", severity, message };
}

function quote(value: string): string {
  return `"${value}"`;
}

function unique(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}

function changedParts(entry: XmpHistoryEntry): string[] {
  return entry.changed === null ? [] : entry.changed.split(";").map((part) => part.trim()).filter((part) => part !== "");
}

/** Whether the XMP history says only metadata changed (every event names "/metadata" alone). */
export function metadataOnly(history: readonly XmpHistoryEntry[]): boolean {
  return history.length > 0 && history.every((entry) => {
    const parts = changedParts(entry);
    return parts.length > 0 && parts.every((part) => part === "/metadata");
  });
}

/** "its XMP history records 2 saves by Adobe Photoshop Camera Raw 8.6 (2014-09-24), changing only the metadata" */
function describeHistory(history: readonly XmpHistoryEntry[]): string {
  const agents = unique(history.map((entry) => entry.softwareAgent));
  const days = unique(history.map((entry) => entry.when?.slice(0, 10) ?? null));
  const actions = unique(history.map((entry) => entry.action));
  const events = `${String(history.length)} event${history.length === 1 ? "" : "s"}${actions.length > 0 ? ` (${actions.join(", ")})` : ""}`;
  const by = agents.length > 0 ? ` by ${agents.join(", ")}` : "";
  const when = days.length > 0 ? ` on ${days.join(", ")}` : "";
  const changed = unique(history.flatMap(changedParts));
  let what: string;
  if (metadataOnly(history)) what = `changing only the metadata ("/metadata"): the pixels were not touched`;
  else if (changed.length > 0) what = `changing ${changed.map(quote).join(", ")}: more than the metadata, so the pixels were saved anew`;
  else what = "without saying what changed";
  return `the XMP history records ${events}${by}${when}, ${what}`;
}

/** Software, CreatorTool and history, as one finding. */
function trailFinding(sample: CameraSample, lookup: LookupResult, evidence: Evidence): Finding | null {
  const softwareEditor = editorOf(sample.software);
  const creatorEditor = editorOf(evidence.creatorTool);
  const { history, creatorTool } = evidence;
  if (softwareEditor === null && creatorEditor === null && history.length === 0) return null;
  const historyText = history.length === 0 ? "" : `; ${describeHistory(history)}`;
  if (softwareEditor !== null && sample.software !== null) {
    // A registered vendor's Make is a phone; otherwise it may be either.
    const device = lookup.kind === "unregistered" ? "phone or camera" : "phone";
    let creator = "";
    if (creatorTool !== null && creatorEditor === null) creator = `; the tool the XMP metadata names (CreatorTool) is still ${quote(creatorTool)}, likely the original value`;
    else if (creatorEditor !== null && creatorEditor !== softwareEditor) creator = `; the XMP metadata names ${creatorEditor} as the tool too (CreatorTool)`;
    return edited("medium", `the software field (Software) says ${quote(sample.software)}: the photo was re-saved in ${softwareEditor}, which overwrote the firmware build the ${device} writes there, so the firmware evidence is lost${creator}${historyText}`);
  }
  if (creatorEditor !== null && creatorTool !== null) {
    return edited("medium", `the XMP metadata names ${quote(creatorTool)} as the tool that made the file (CreatorTool): the photo was saved by ${creatorEditor}, so its pixels were re-encoded after capture${historyText}`);
  }
  const text = describeHistory(history);
  return edited(metadataOnly(history) ? "low" : "medium", `${text.charAt(0).toUpperCase()}${text.slice(1)}`);
}

function tablesFinding(evidence: Evidence): Finding | null {
  const known = evidence.quantization?.known;
  if (known?.family !== "adobe") return null;
  return edited("medium", `the JPEG compression tables (quantization tables) are Adobe's (${known.encoder}): the pixels were encoded by Adobe software, not by the camera`);
}

function resizedFinding(evidence: Evidence): Finding | null {
  const { exifSize, frame } = evidence;
  if (exifSize === null || frame === null || relateSizes(exifSize, frame) !== "resized") return null;
  return edited("low", `the image is ${showSize(frame)} but EXIF says the camera saved ${showSize(exifSize)}: the pixels were scaled down after capture, as editors and photo sites do while keeping the EXIF`);
}

function rewrittenFinding(evidence: Evidence): Finding | null {
  const captured = moment(evidence.dates.dateTimeOriginal);
  const modified = moment(evidence.dates.modifyDate);
  if (captured === null || modified === null) return null;
  const seconds = (modified.wall - captured.wall) / 1000;
  if (seconds <= REWRITTEN_AFTER_SECONDS) return null;
  return edited("low", `the file was last saved ${showTime(modified)} (ModifyDate), ${showGap(seconds)} after it was shot (${showTime(captured)}): software rewrote the file after it was shot, though none names itself`);
}

/** Whether the file shows editing evidence at medium or high severity (explains other oddities). */
export function isEdited(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.code === "edited" && (finding.severity === "medium" || finding.severity === "high"));
}

export function editingFindings(sample: CameraSample, lookup: LookupResult, evidence: Evidence): Finding[] {
  const findings = [trailFinding(sample, lookup, evidence), tablesFinding(evidence), resizedFinding(evidence)]
    .filter((finding): finding is Finding => finding !== null);
  if (findings.length > 0) return findings;
  const rewritten = rewrittenFinding(evidence);
  return rewritten === null ? [] : [rewritten];
}

export const editedRule: Rule = ({ sample, lookup, evidence }) =>
  evidence === undefined ? [] : editingFindings(sample, lookup, evidence);
