// Nesting: scopes are the chain of named definitions; anonymous functions
// and objects are transparent.
function factory(options) {
  class Built {
    start() {
      function tick() {
        schedule(tick);
      }
      const stop = () => cancel();
      return [tick, stop];
    }
  }
  const hooks = {
    before() {
      prepare();
    },
  };
  items.forEach(function (item) {
    visit(item);
  });
  return new Built(hooks);
}

(function () {
  function hidden() {
    secret();
  }
  hidden();
})();

describe("suite", () => {
  function helper() {}
  it("works", () => {
    helper();
  });
});

class Outer {
  static Inner = class {
    go() {}
  };
  config = {
    load: () => fetchConfig(),
  };
}
