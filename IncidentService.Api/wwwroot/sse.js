// Server-Sent Events over fetch: EventSource cannot send the X-Api-Key or Authorization header, fetch can. Parses
// the text/event-stream format (event, id, data lines; comments) and calls onEvent for each complete event.
export async function readEvents(url, headers, { onOpen, onEvent, signal }) {
  const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal, cache: 'no-store' });
  if (!response.ok) {
    const error = new Error(`HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { event: 'message', id: null, data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (event.data.length > 0) onEvent({ event: event.event, id: event.id, data: event.data.join('\n') });
        event = { event: 'message', id: event.id, data: [] };
        continue;
      }
      if (line.startsWith(':')) { onEvent({ event: 'comment', data: line.slice(1).trim() }); continue; }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = text;
      else if (field === 'id') event.id = text;
      else if (field === 'data') event.data.push(text);
    }
  }
}
