// The federation-reader app as a worker process on real PostgreSQL and NATS.
import { describeWorkerAppProcess } from '@homeserver/testing';

describeWorkerAppProcess('federation-reader');
