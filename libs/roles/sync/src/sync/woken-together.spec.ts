// Long-polls woken together answer as computed alone, on the embedded default (PGlite).
import { wokenTogetherSuite } from './woken-together.suite.ts';

wokenTogetherSuite('long-polls woken together (PGlite)');
