// Two generic call signatures without a semicolon between them are beyond
// the grammar, and it loses the rest of the file: definitions are then read
// from the text (headers in column 1, braced bodies to the next "}" in
// column 1) and the calls in them from "name(" (receivers joined by ".").
export const clamp: {
  <Min extends Date>(options: { readonly minimum: Min }): <A extends Date>(self: A) => A | Min
  <A extends Date, Min extends Date>(self: A, options: { readonly minimum: Min }): A | Min
} = internal.clamp

export function combine(left: number, right: number): number {
  // not(a, call) in a comment
  const label = "nor(this)"
  const made = new Thing(left)
  made?.parts.first()
  return Effect.map(add(left, right), label)
}

export const twice = (value: number): number =>
  combine(value, value)

export class Counter {
  count = 0
  bump(): void {
    this.count = this.step(1)
  }
}

export interface Options {
  readonly step: number
}

export const limit = (10 + 2) * 3
