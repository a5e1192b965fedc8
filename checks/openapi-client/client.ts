// A dashboard's client, generated from docs/openapi.json by openapi-typescript and called through openapi-fetch,
// compiled with tsc --strict: what is always in an answer is used without null checks, so a document that made the
// four priorities, a count or a list optional would fail to compile. Then it runs against the live service.
//   node dist/client.js BASE_URL API_KEY        (prints PASS/FAIL lines, exits 1 on any failure)
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

type EmployeeIncidents = components["schemas"]["EmployeeIncidents"];
type Incident = components["schemas"]["Incident"];

const [base, key] = process.argv.slice(2);
if (!base || !key) {
  throw new Error("usage: node dist/client.js BASE_URL API_KEY");
}

const client = createClient<paths>({ baseUrl: base, headers: { "X-Api-Key": key } });
let failures = 0;
function check(what: string, ok: boolean): void {
  console.log(`${ok ? "PASS" : "FAIL"}: ${what}`);
  if (!ok) failures++;
}

// Typed access with no null check: these compile only because the document says they are always there.
function total(employee: EmployeeIncidents): number {
  return employee.low.count + employee.medium.count + employee.high.count + employee.critical.count;
}

// The incident union is discriminated by type: each branch sees that feed's known fields.
function person(incident: Incident): string {
  switch (incident.type) {
    case "denial":
      return `employee ${incident.reported_by}`;
    case "misuse":
    case "unauthorized":
      return `employee ${incident.employee_id}`;
    case "intrusion":
      return `ip ${incident.internal_ip}`;
    case "executable":
      return `ip ${incident.machine_ip}`;
    case "probing":
      return `ip ${incident.ip}`;
    case "other":
      return `identifier ${incident.identifier}`;
  }
}

const all = await client.GET("/incidents");
check(`listIncidents answers 200 (got ${all.response.status})`, all.response.status === 200 && all.data !== undefined);
const incidents = all.data ?? {};
const ids = Object.keys(incidents);
check(`listIncidents has employees (${ids.length})`, ids.length > 0);
const id = ids[0] ?? "0";
const first = incidents[id];
if (first) {
  check(`employee ${id}: ${total(first)} incidents, the first from ${person(first.low.incidents[0] ?? first.medium.incidents[0] ?? first.high.incidents[0] ?? first.critical.incidents[0]!)}`, total(first) > 0);
  check("every count equals its list's length", [first.low, first.medium, first.high, first.critical].every((p) => p.count === p.incidents.length));
}

const one = await client.GET("/incidents/{employeeId}", { params: { path: { employeeId: id } } });
check(`getEmployeeIncidents(${id}) is that employee's entry`, JSON.stringify(one.data) === JSON.stringify(first));

const etag = all.response.headers.get("ETag");
const revalidated = await client.GET("/incidents", { headers: { "If-None-Match": etag ?? "" } });
check(`listIncidents with If-None-Match answers 304 (got ${revalidated.response.status})`, revalidated.response.status === 304);

const filtered = await client.GET("/incidents", { params: { query: { priority: ["high", "critical"], type: ["probing", "misuse"] } } });
const kept = Object.values(filtered.data ?? {});
check(`listIncidents(priority high+critical, type probing+misuse): ${kept.length} employees`, filtered.response.status === 200 && kept.length > 0);
check(
  "the filtered answer holds only those priorities and feeds",
  kept.every((e) => e.low.count === 0 && e.medium.count === 0 && [...e.high.incidents, ...e.critical.incidents].every((i) => i.type === "probing" || i.type === "misuse")),
);

const summary = await client.GET("/incidents/summary", { params: { query: { priority: ["high", "critical"], type: ["probing", "misuse"] } } });
const counted = summary.data;
check(
  `getIncidentSummary with the same filters counts the same incidents (${counted?.total})`,
  counted !== undefined && counted.total === kept.reduce((n, e) => n + total(e), 0) && counted.priorities.low === 0 && counted.feeds["denial"]?.total === 0,
);

const bad = await client.GET("/incidents", { params: { query: { since: 10, until: 5 } } });
check(`until before since is 400 naming until (got ${bad.response.status}, ${JSON.stringify(bad.error)})`, bad.response.status === 400 && JSON.stringify(bad.error).includes('"parameter":"until"'));

const unresolved = await client.GET("/incidents/unresolved");
check(`listUnresolvedIncidents: ${unresolved.data?.count} incidents with reasons`, unresolved.data !== undefined && unresolved.data.incidents.every((u) => u.reason.length > 0 && u.incident.type.length > 0));

const status = await client.GET("/status");
check(
  `getStatus: ${status.data?.feeds.length} targets, snapshot complete = ${status.data?.snapshot?.complete}`,
  status.data !== undefined && status.data.feeds.length === 8 && status.data.ready.ready,
);

// A timestamp with all its digits does not survive a JavaScript number (the README says so).
const text = await (await fetch(`${base}/incidents/${id}`, { headers: { "X-Api-Key": key } })).text();
const digits = /"timestamp":([0-9.]+)/.exec(text)?.[1] ?? "";
console.log(`note: timestamp ${digits} as a JavaScript number is ${Number(digits)}`);

process.exit(failures === 0 ? 0 : 1);
