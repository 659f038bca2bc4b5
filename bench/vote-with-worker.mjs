// The vote benchmark with a worker process beside the API, as production runs them: the worker writes the LIKE
// notifications the votes enqueue, on the same two cores. Same load, checks and goals as `vote`.
import { runVote } from './vote.mjs';

export default () => runVote({ name: 'vote-with-worker', worker: true });
