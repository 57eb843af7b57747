// Generic arrow functions need a trailing comma in TSX.
export const first = <T,>(items: T[]): T | undefined => items[0];

export function wrap<T>(value: T) {
  return <Box<T> value={value}>{render(value)}</Box>;
}

const memo = React.memo(function Row() {
  return <tr>{cells()}</tr>;
});
