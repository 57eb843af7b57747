// Classes with heritage, modifiers, abstract members and overloads.
export abstract class Repo<T> implements Store<T>, Disposable {
  protected items: T[] = [];
  private static count = 0;
  constructor(private readonly name: string) {
    super();
  }
  abstract find(id: string): T;
  get(id: string): T;
  get(id: number): T;
  get(id: any): T {
    return this.find(String(id));
  }
  public async save(item: T): Promise<void> {
    await this.persist(item);
  }
  protected persist = async (item: T) => {
    Repo.count++;
    write(item);
  };
  #hidden(): void {}
}

class UserRepo extends Repo<User> {
  find(id: string): User {
    return super.get(id) ?? new User(id);
  }
}

@Component({ selector: "x" })
class Decorated {
  @Input() value = compute();
  @HostListener("click")
  onClick(): void {}
}

declare class Ambient {
  method(): void;
}
