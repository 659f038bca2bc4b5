import { isObjectType, TypeInfo, visit, visitWithTypeInfo, type ExecutionArgs, type ExecutionResult, type GraphQLField } from 'graphql';

/** A field whose value depends on who asks (their vote, their own e-mail): marked `@Extensions({ perViewer: true })`. */
const perViewer = (field: GraphQLField<unknown, unknown>) => field.extensions?.perViewer === true;

/**
 * One execution per event for every subscriber with the same selection: a room event reaching 10,000 sockets is
 * resolved once per process instead of 10,000 times (what burned the CPU at scale). Only subscription fields marked
 * `@Extensions({ sharedEvents: true })` share, and only when the selection reads no per-viewer field; the payload
 * object itself is the event's identity (pub/sub parses a message once and hands the same object to every listener).
 */
export class SharedEvents {
  private readonly results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  private readonly verdicts = new Map<string, boolean>();

  /** `onShared` sees each shared result once (to serialise it once for every socket). */
  constructor(private readonly onShared: (result: ExecutionResult) => void = () => undefined) {}

  run(args: ExecutionArgs, payload: unknown, execute: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    const source = args.document.loc?.source.body;
    if (typeof payload !== 'object' || payload === null || !source || !this.shareable(args, source)) return execute();
    const key = `${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${source}`;
    let byKey = this.results.get(payload);
    if (!byKey) {
      byKey = new Map();
      this.results.set(payload, byKey);
    }
    let result = byKey.get(key);
    if (!result) {
      result = execute().then((r) => {
        if (!r.errors) this.onShared(r);
        return r;
      });
      byKey.set(key, result);
    }
    return result;
  }

  private shareable(args: ExecutionArgs, source: string): boolean {
    let verdict = this.verdicts.get(source);
    if (verdict === undefined) {
      verdict = this.judge(args);
      if (this.verdicts.size > 1000) this.verdicts.clear();
      this.verdicts.set(source, verdict);
    }
    return verdict;
  }

  private judge({ schema, document }: ExecutionArgs): boolean {
    const typeInfo = new TypeInfo(schema);
    let shared = true;
    let root = true;
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const field = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          if (!field) return;
          if (root) {
            root = false;
            if (field.extensions?.sharedEvents !== true) shared = false;
          }
          // A field declared per-viewer on an interface stays so on every type implementing it.
          const viaInterface =
            isObjectType(parent) &&
            parent.getInterfaces().some((i) => {
              const f = i.getFields()[field.name];
              return !!f && perViewer(f);
            });
          if (perViewer(field) || viaInterface) shared = false;
        },
      }),
    );
    return shared;
  }
}
