// Namespaces and modules: dotted names, nesting, ambient modules.
namespace Outer {
  export function helper() {
    inner();
  }
  export namespace Inner {
    export class Item {
      use() {
        helper();
      }
    }
  }
  setup();
}

namespace A.B.C {
  export const f = () => 1;
}

declare module "virtual-mod" {
  export function load(): void;
}

declare global {
  interface Window {
    app: unknown;
  }
}

module Legacy {
  export function old() {}
}
