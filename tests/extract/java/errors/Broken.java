package broken;

public class Broken {
	void ok() {
		first();
	}

	void bad( {
		second();
	}

	void later() {
		third();
	}
}
