// Type-level declarations: interfaces, enums, aliases, signatures.
export interface Shape extends Named, geo.Located<number> {
  area(): number;
  readonly name: string;
  scale?(factor: number): Shape;
  new (size: number): Shape;
}

enum Color {
  Red,
  Green = "g",
}

const enum Flags { A = 1 }

type Id = string | number;
export type Handler<T> = (value: T) => void;

declare function parse(text: string): Id;
export function format(v: number): string;
export function format(v: string): string;
export function format(v: any): string {
  return String(v);
}

declare const VERSION: string;
let typed: (x: number) => number = (x) => x;
type Api = { call(): void; new (): Api };
