// The media app as a worker process on real PostgreSQL and NATS.
import { describeWorkerAppProcess } from '@homeserver/testing';

describeWorkerAppProcess('media');
