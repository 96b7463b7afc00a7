// A woken dormant sync process answers as one that never slept, on the embedded default (PGlite).
import { dormantViewsSuite } from './dormant-views.suite.ts';

dormantViewsSuite('dormant sync views (PGlite)');
