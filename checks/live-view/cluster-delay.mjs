// Event delay across a cluster (run by `scripts/cluster.sh --live-delay`): one change stream on each replica and
// three through nginx; the simulator's feed "denial" is made to serve half its items, then all, then half, and
// for each change the arrival on every stream is timed against the arrival on the leader's own stream (the
// leader installs the snapshot, then publishes it to Redis, so its stream's arrival is just after the install
// and no later than the publish the followers hear of).
//
//   node cluster-delay.mjs SIMULATOR LB REPLICA...
//
// Prints MEASURE lines; FAIL when an event does not reach every stream within 60 s.
const [simulator, lb, ...replicas] = process.argv.slice(2);

function open(name, url) {
  const stream = { name, url, events: [], waiters: [] };
  (async () => {
    const response = await fetch(`${url}/incidents/changes`, { headers: { Accept: 'text/event-stream' } });
    const decoder = new TextDecoderStream();
    const reader = response.body.pipeThrough(decoder).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        if (id) { stream.events.push({ id, at: performance.now() }); stream.waiters.splice(0).forEach((w) => w()); }
      }
    }
  })().catch((error) => console.log(`  ${name}: ${error.message}`));
  return stream;
}

const until = (stream, predicate, ms) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`${stream.name}: no event within ${ms} ms`)), ms);
  const test = () => { if (predicate()) { clearTimeout(timer); resolve(); } else stream.waiters.push(test); };
  test();
});

const roles = await Promise.all(replicas.map(async (url) => (await (await fetch(`${url}/status`)).json()).cluster.role));
const leaderIndex = roles.indexOf('leader');
if (leaderIndex < 0) { console.log(`FAIL: no leader among ${roles.join(', ')}`); process.exit(1); }
const streams = [
  ...replicas.map((url, i) => open(`replica-${i + 1} (${roles[i]})`, url)),
  ...[1, 2, 3].map((i) => open(`nginx #${i}`, lb)),
];
await Promise.all(streams.map((s) => until(s, () => s.events.length > 0, 30_000)));
console.log(`  ${streams.length} streams open; leader is replica-${leaderIndex + 1}`);

let failures = 0;
const worst = [];
for (const [round, fault] of [[1, { fault: 'IdentitiesShrunk', factor: 0.5 }], [2, null], [3, { fault: 'IdentitiesShrunk', factor: 0.5 }]]) {
  const counts = streams.map((s) => s.events.length);
  const url = `${simulator}/_simulator/faults/denial`;
  await fetch(url, fault ? { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fault) } : { method: 'DELETE' });
  try {
    await Promise.all(streams.map((s, i) => until(s, () => s.events.length > counts[i], 60_000)));
  } catch (error) {
    console.log(`FAIL: round ${round}: ${error.message}`);
    failures++;
    continue;
  }
  const leaderAt = streams[leaderIndex].events[counts[leaderIndex]].at;
  const delays = streams.map((s, i) => ({ name: s.name, ms: s.events[counts[i]].at - leaderAt, id: s.events[counts[i]].id }));
  const ids = new Set(delays.map((d) => d.id));
  if (ids.size !== 1) { console.log(`FAIL: round ${round}: the streams got different snapshots first (${[...ids].join(', ')})`); failures++; }
  worst.push(Math.max(...delays.map((d) => d.ms)));
  console.log(`MEASURE: round ${round}: after the leader's stream: ${delays.map((d) => `${d.name} ${d.ms.toFixed(1)} ms`).join(', ')}`);
}
console.log(`MEASURE: worst delay behind the leader's stream over ${worst.length} changes: ${Math.max(...worst).toFixed(1)} ms`);
process.exit(failures === 0 ? 0 : 1);
