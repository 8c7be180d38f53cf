/** Public surface of the migration analysis engine. */
export { analyze, type AnalyzeOptions } from './analyze.ts';
export { isRuleCode, ruleByCode, ruleCatalog, ruleCodes, type RuleCode } from './catalog.ts';
export { defaultPolicy, loadPolicyFile, policySchema, PolicyError, type Policy, type PolicyInput } from './policy.ts';
export { applyPreview, riskClass, type StatementMeasurement } from './risk.ts';
export { renderGithubAnnotations } from './render-github.ts';
export { renderFindingsMarkdown } from './render-markdown.ts';
export { renderFindingsText } from './render-text.ts';
export { rulesMarkdown } from './rules-doc.ts';
export { severities } from './types.ts';
export type { AnalysisResult, Category, Finding, RiskClass, RuleMeta, Severity, Span, StatementInfo } from './types.ts';
