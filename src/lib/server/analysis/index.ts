export { wilson, Z95, type Share } from './interval';
export { signTest, signTestSplitTies, type SignTest } from './sign-test';
export { holm } from './multiple';
export { clusterBootstrap, DEFAULT_SEED, type BootstrapInterval } from './bootstrap';
export { fleissKappa, krippendorffAlphaNominal } from './agreement';
export { bradleyTerry, bradleyTerryWithIntervals, type Comparison } from './bradley-terry';
export {
	summarizeQuestion,
	summarizeStudy,
	type PairAnswer,
	type QuestionSummary
} from './preferences';
export { mulberry32 } from './random';
