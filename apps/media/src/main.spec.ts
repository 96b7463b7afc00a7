// The media app refuses configs it cannot run with, as a real process.
import { describeWorkerAppConfigChecks } from '@homeserver/testing';

describeWorkerAppConfigChecks('media');
