/** Public surface of `schemagate check`: the CI check of a repository's migration history. */
export { runCheck, type CheckOptions } from './run-check.ts';
export {
  checkCodes,
  checkCounts,
  failingFindings,
  type CheckCode,
  type CheckedMigration,
  type CheckProblem,
  type CheckResult,
  type FileAnalysis,
} from './check-result.ts';
export { checkCommentMarker, renderCheckMarkdown } from './render/render-markdown.ts';
export { renderCheckGithub } from './render/render-github.ts';
export { renderCheckJson } from './render/render-json.ts';
export { renderCheckJunit } from './render/render-junit.ts';
export { renderCheckText } from './render/render-text.ts';
