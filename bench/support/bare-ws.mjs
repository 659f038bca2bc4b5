// The anchor of the hot-room benchmark: a bare `ws` server in one process that speaks just enough graphql-transport-ws
// (connection_init → connection_ack, subscribe, ping → pong) and, for every POST /send { body }, broadcasts the frame
// an API instance would send for chatMessageAdded { seq body }, serialised once, to every subscribed socket.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const ACK = JSON.stringify({ type: 'connection_ack' });
const PONG = JSON.stringify({ type: 'pong' });
const subscribed = new Set();
let seq = 0;

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/send') return void res.writeHead(404).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const { body } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    seq++;
    const frame = Buffer.from(JSON.stringify({ id: '1', type: 'next', payload: { data: { chatMessageAdded: { seq, body } } } }));
    for (const socket of subscribed) socket.send(frame, { binary: false });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ seq }));
  });
});
server.keepAliveTimeout = 65_000;

const wss = new WebSocketServer({
  server,
  path: '/graphql',
  perMessageDeflate: false,
  handleProtocols: (p) => (p.has('graphql-transport-ws') ? 'graphql-transport-ws' : false),
});
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'connection_init') socket.send(ACK);
    else if (message.type === 'subscribe') subscribed.add(socket);
    else if (message.type === 'ping') socket.send(PONG);
  });
  socket.on('close', () => subscribed.delete(socket));
  socket.on('error', () => undefined);
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`ready ${server.address().port}\n`));
process.on('SIGTERM', () => {
  for (const socket of wss.clients) socket.terminate();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
