// A Camunda 7 external-task worker written as Camunda's documentation shows, with the official Node.js client,
// run by Tests/WorkflowHost.Tests/CamundaRest/ExternalTaskClientTests against a real host.
//   node external-task-worker.mjs BASE_URL USER PASSWORD
// Prints one JSON line per thing it did; exits 0 after the "shipping" task's BPMN error, 1 on any error.
import { Client, BasicAuthInterceptor, Variables } from "camunda-external-task-client-js";

const [baseUrl, username, password] = process.argv.slice(2);
const say = (what) => console.log(JSON.stringify(what));
const client = new Client({
  baseUrl,
  workerId: "node-worker",
  asyncResponseTimeout: 5000,
  interval: 100,
  maxTasks: 5,
  autoPoll: false,
  interceptors: new BasicAuthInterceptor({ username, password }),
  use: () => {},
});

const timeout = setTimeout(() => { say({ event: "timeout" }); process.exit(1); }, 60000);
client.on("poll:error", (e) => say({ event: "poll:error", message: String(e && e.message), status: e && e.httpStatusCode }));
client.on("complete:error", (_task, e) => say({ event: "complete:error", message: String(e && e.message) }));
client.on("handleFailure:error", (_task, e) => say({ event: "failure:error", message: String(e && e.message) }));
client.on("handleBpmnError:error", (_task, e) => say({ event: "bpmnError:error", message: String(e && e.message) }));

client.subscribe("billing", { variables: ["amount", "customer"] }, async ({ task, taskService }) => {
  const amount = task.variables.get("amount");
  say({ event: "fetched", topic: task.topicName, amount, customer: task.variables.get("customer"), retries: task.retries, businessKey: task.businessKey });
  const variables = new Variables().set("invoice", `INV-${amount}`).set("paid", true).set("total", amount * 2);
  const local = new Variables().set("billedBy", "node-worker");
  await taskService.complete(task, variables, local);
  say({ event: "completed", topic: task.topicName });
});

client.subscribe("checking", { lockDuration: 20000 }, async ({ task, taskService }) => {
  say({ event: "fetched", topic: task.topicName, retries: task.retries, errorMessage: task.errorMessage });
  if (task.retries === null || task.retries === undefined) {
    await taskService.handleFailure(task, { errorMessage: "scanner offline", errorDetails: "scanner at desk 3 did not answer", retries: 1, retryTimeout: 200 });
    say({ event: "failed", topic: task.topicName, retries: 1 });
  } else {
    await taskService.extendLock(task, 30000);
    await taskService.complete(task);
    say({ event: "completed", topic: task.topicName });
  }
});

client.subscribe("shipping", async ({ task, taskService }) => {
  say({ event: "fetched", topic: task.topicName, invoice: task.variables.get("invoice") });
  await taskService.handleBpmnError(task, "NO_STOCK", "widget out of stock", new Variables().set("missing", "widget"));
  say({ event: "bpmnError", topic: task.topicName, code: "NO_STOCK" });
  clearTimeout(timeout);
  client.stop();
  setTimeout(() => process.exit(0), 50);
});

client.start();
say({ event: "started" });
