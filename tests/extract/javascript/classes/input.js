// Classes: bases, every kind of member, class expressions, prototypes.
class Animal {
  constructor(name) {
    this.name = name;
  }
  speak() {
    return this.name;
  }
  static create(name) {
    return new Animal(name);
  }
  get label() {
    return this.name;
  }
  set label(v) {
    this.name = v;
  }
  #secret() {
    return 1;
  }
  onClick = () => {
    this.#secret();
  };
  count = 0;
}

class Dog extends Animal {
  speak() {
    return super.speak() + "!";
  }
}

class Widget extends mixins.Base {}

const Point = class {
  norm() {}
};

function Legacy() {}
Legacy.prototype.run = function () {};
Legacy.make = function () {};

export default class {
  render() {}
}
