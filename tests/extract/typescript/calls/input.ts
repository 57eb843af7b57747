// TypeScript call forms: generics, non-null, casts.
function main(service: Service, maybe?: Service) {
  const result = identity<string>("x");
  maybe!.start();
  (service as Runner).run();
  (<Runner>service).stop();
  service.config!.load();
  const s = service satisfies Service;
  s.check();
  new Map<string, number>();
  new ns.Thing<number>(1);
  maybe?.stop();
  return result;
}

const typedArrow = <T,>(x: T): T => helper(x);
