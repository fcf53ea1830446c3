// The page: computes here and in a module Worker, and publishes both as window.result.
import { compute } from "./compute.js";

const inWorker = () =>
  new Promise((resolve) => {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => resolve({ error: `worker: ${event.message}` });
  });

Promise.all([compute(), inWorker()]).then(
  ([page, worker]) => (window.result = { page, worker }),
  (error) => (window.result = { error: String(error?.stack ?? error) }),
);
