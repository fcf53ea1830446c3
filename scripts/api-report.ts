// The public API reports (api/*.api.md), one per entry point, by api-extractor on the
// built declarations (dist/): `npm run api:check` fails when a report differs from the
// committed one (as in CI), `npm run api:update` (--update) writes the new reports to commit.
import { Extractor, ExtractorConfig, type ExtractorMessage } from "@microsoft/api-extractor";
import { fileURLToPath } from "node:url";

const CONFIGS = ["api-extractor.json", "api/engine.json", "api/reference.json", "api/risk.json", "api/import.json"];
const update = process.argv.includes("--update");
const root = fileURLToPath(new URL("..", import.meta.url));

let failed = 0;
for (const config of CONFIGS) {
  const extractorConfig = ExtractorConfig.loadFileAndPrepare(`${root}${config}`);
  const problems: string[] = [];
  const result = Extractor.invoke(extractorConfig, {
    localBuild: update,
    messageCallback: (message: ExtractorMessage) => {
      // Warnings and errors are printed once below; the rest (versions, progress) not at all.
      // With --update, a report written (console-api-report-copied/-created) is the point, not a problem.
      const written = update && message.messageId.startsWith("console-api-report-");
      if ((message.logLevel === "warning" || message.logLevel === "error") && !written) problems.push(message.formatMessageWithLocation(root));
      message.handled = true;
    },
  });
  const report = extractorConfig.reportFilePath.slice(root.length);
  if (!result.succeeded || problems.length > 0) {
    failed++;
    console.error(`${report}: ${result.apiReportChanged ? "the public API changed (npm run api:update, then review and commit the diff)" : "errors"}`);
    for (const p of problems) console.error(`  ${p}`);
  } else if (update && result.apiReportChanged) {
    console.log(`${report}: updated`);
  }
}
if (failed > 0) process.exit(1);
console.log(`API reports: ${CONFIGS.length} entry points ${update ? "written" : "match api/*.api.md"}`);
