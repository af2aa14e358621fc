import { runAsWorker } from 'synckit';

runAsWorker(async (payload) => payload);
