// Broken TypeScript: what the parser keeps is still extracted.
interface Good {
  ok(): void;
}

function half(a: number, {
  return a +;
}

class Survivor {
  live(): void {
    breathe();
  }
}
