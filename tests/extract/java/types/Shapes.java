package geo.shapes;

import java.util.List;

/** Classes, interfaces, enums, records and their bases. */
public abstract class Shapes<T extends Comparable<T>> extends Base<T> implements Drawable, java.io.Serializable {
	static class Nested extends Shapes<String> {
	}

	class Inner implements Comparable<Inner>, Runnable {
	}

	interface Visitor<R> extends Walker, Cloneable {
	}

	enum Kind implements Named {
		ROUND, SQUARE
	}

	record Pair(int a, int b) implements Drawable {
	}

	@interface Marker {
		String value() default "";
	}
}

interface Drawable {
}

enum Empty {
}
