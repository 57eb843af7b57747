// TSX: components are functions and classes; elements are not calls.
import React, { useState } from "react";
import { Button } from "./Button";

interface Props {
  title: string;
  onSave(): void;
}

export function Panel({ title, onSave }: Props) {
  const [open, setOpen] = useState(false);
  const toggle = () => setOpen(!open);
  return (
    <div onClick={toggle}>
      <Button label={title.toUpperCase()} onPress={() => onSave()} />
      {open && <Details text={describe(title)} />}
    </div>
  );
}

export class Page extends React.Component<Props> {
  render() {
    return <Panel {...this.props} />;
  }
}
