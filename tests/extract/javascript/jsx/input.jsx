// JSX elements are not calls; expressions inside them are.
import React from "react";

export function List({ items }) {
  return (
    <ul className={classes("list")}>
      {items.map((it) => (
        <Item key={it.id} label={format(it)} />
      ))}
    </ul>
  );
}

const Item = ({ label }) => <li>{label}</li>;
