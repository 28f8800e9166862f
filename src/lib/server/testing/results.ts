export { answerStudy, type Pick } from '../demo/simulate';
