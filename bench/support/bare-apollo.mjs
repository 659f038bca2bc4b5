// The reference point of the baseline benchmark: Apollo Server with default options and a one-field schema.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const server = new ApolloServer({
  typeDefs: 'type Query { hello: String }',
  resolvers: { Query: { hello: () => 'world' } },
});
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT), host: '127.0.0.1' } });
process.stdout.write(`${url}\n`);
process.on('SIGTERM', () => server.stop().then(() => process.exit(0)));
