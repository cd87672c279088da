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
      const model = await buildReportModel({
        records,
        registryVersion: summary.registry,
        registry: reporterOptions.registry ?? null,
        evidence: options.evidence ? (reporterOptions.evidence ?? null) : null,
      });
      await sink.write(render(model));
    });
}
