package app;

import java.util.List;

public class Service extends BaseService {
	private final Repo repo = Repo.open("db");
	private int count = compute();

	static {
		Registry.register(Service.class);
	}

	{
		init();
	}

	Service() {
		super("service");
	}

	void run(List<String> items) {
		helper();
		this.helper();
		super.run(items);
		repo.save(items.get(0));
		Util.log("run");
		java.util.Objects.requireNonNull(items);
		repo.find().first().close();
		new Worker<String>(items).start();
		new app.jobs.Job();
		this.repo.flush();
		items.forEach(Service::handle);
		items.stream().map(s -> transform(s)).forEach(System.out::println);
		int[] a = new int[3];
		Outer.this.go();
		Named.super.describe();
		this.<String>generic();
	}

	void helper() {
	}

	static void handle(String s) {
	}
}
