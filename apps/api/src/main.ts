// Production entry: every setting comes from the environment.
import { runServer } from './server.ts';

await runServer(process.env);
