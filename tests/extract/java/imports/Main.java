package com.example.app;

import java.util.List;
import java.util.*;
import static java.lang.Math.max;
import static java.util.Collections.*;
import com.example.util.Strings;

class Main {
}
