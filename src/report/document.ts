/**
 * Reporters for documents (HTML, Markdown): they buffer the records, then at the end build the
 * report model (reading flagged photos again through the injected EvidenceProvider) and render it.
 */
import { bufferedReporter } from "./buffered.js";
import { buildReportModel } from "./model.js";
import type { ReportModel } from "./model-types.js";
import type { ReporterFactory } from "./types.js";

export function documentReporter(render: (model: ReportModel) => string, options: { evidence: boolean }): ReporterFactory {
  return (sink, reporterOptions) =>
    bufferedReporter(async (records, summary) => {
      const provider = reporterOptions.evidence;
      const hasher = provider?.sha256?.bind(provider);
      const model = await buildReportModel({
        records,
        registryVersion: summary.registry,
        registry: reporterOptions.registry ?? null,
        evidence: options.evidence ? (provider ?? null) : null,
        // Both formats merge copies: possible copies of a flagged photo are hashed to find them.
        ...(hasher === undefined ? {} : { hasher }),
        ...(reporterOptions.provenance === undefined ? {} : { provenance: reporterOptions.provenance }),
      });
      await sink.write(render(model));
    });
}
