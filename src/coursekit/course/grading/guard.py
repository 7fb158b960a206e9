"""The in-kernel guard, sent as source text to every grading kernel.

Installed before the first cell runs, it snapshots what the tests rely on and, at the
steps :data:`GUARD_CALL` names (``before_answer``, ``before_course``, ``after_test``),
restores what answer code changed: see *Fairness* in :mod:`coursekit.course.grading`.
"""

from __future__ import annotations

__all__ = ["GUARD_SOURCE", "GUARD_CALL", "GUARD_CONFIG"]

#: Source of ``_coursekit_guard_install(config)``, run once in each grading kernel.
GUARD_SOURCE = r'''
def _coursekit_guard_install(config):
    import builtins, linecache, sys, types

    ip = get_ipython()
    ns = ip.user_ns
    missing = object()
    exact = frozenset(config["modules"])
    prefixes = tuple(config["packages"])
    class_modules = frozenset(config["class_modules"])
    roots = frozenset(n.split(".")[0] for n in list(exact) + list(prefixes))
    class_prefixes = tuple(config["class_prefixes"])
    protected = frozenset(config["protected_data"])
    tools = frozenset(config["protected_tools"])
    markers = tuple(config["markers"])
    volatile = frozenset(config["volatile"])
    hook_lists = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
    S = {"ns": dict(ns), "course": set(ns), "dirty": False, "stash": {}, "converted": {}}
    # answers of a notebook-defined subclass of a built-in type (which could rig
    # comparisons) are tested as the plain built-in value
    plain_types = ((float, float.__float__), (int, int.__int__), (complex, complex.__complex__),
                   (str, str.__str__), (bytes, bytes.__bytes__))

    def watched(value):
        return isinstance(value, (types.ModuleType, type)) or callable(value)

    def in_scope(name, heads):
        return any(name == p or name.startswith(p + ".") for p in heads)

    def snap_builtins():
        return {k: v for k, v in vars(builtins).items() if k not in volatile}

    def snap_hooks():
        return {
            "events": {k: list(v) for k, v in ip.events.callbacks.items()},
            "lists": {a: list(getattr(ip, a)) for a in hook_lists},
            "custom": (ip.custom_exceptions, ip.CustomTB),
            "sys": (sys.gettrace(), sys.getprofile(), sys.excepthook, sys.displayhook),
            "compile": ip.compile,
            "instance": set(vars(ip)),
        }

    def snap_modules():
        mods, classes = {}, {}
        for name, mod in list(sys.modules.items()):
            if mod is None or not (name in exact or in_scope(name, prefixes)):
                continue
            d = getattr(mod, "__dict__", None)
            if type(d) is not dict:
                continue
            mods[name] = (mod, {k: v for k, v in d.items() if watched(v)})
            if name in class_modules or in_scope(name, class_prefixes):
                for v in list(d.values()):
                    owner = getattr(v, "__module__", "") or ""
                    if isinstance(v, type) and id(v) not in classes and (owner.split(".")[0] in roots):
                        classes[id(v)] = (v, dict(vars(v)))
        return mods, classes

    def snapshot():
        S["builtins"] = snap_builtins()
        S["hooks"] = snap_hooks()
        S["modules"], S["classes"] = snap_modules()

    def check_builtins():
        notes = []
        b = vars(builtins)
        for k, v in S["builtins"].items():
            if b.get(k, missing) is not v:
                notes.append("builtins.%s %s" % (k, "deleted" if k not in b else "replaced"))
                b[k] = v
        for k in [k for k in b if k not in S["builtins"] and k not in volatile]:
            notes.append("builtins.%s added" % k)
            del b[k]
        if ns.get("__builtins__", missing) is not builtins and ns.get("__builtins__", missing) is not b:
            notes.append("__builtins__ rebound")
            ns["__builtins__"] = builtins
        return notes

    def check_modules():
        notes = []
        for name, (mod, snap) in S["modules"].items():
            if sys.modules.get(name, missing) is not mod:
                notes.append("sys.modules[%r] replaced" % name)
                sys.modules[name] = mod
            d = mod.__dict__
            for k, v in snap.items():
                if d.get(k, missing) is not v:
                    notes.append("%s.%s %s" % (name, k, "deleted" if k not in d else "replaced"))
                    d[k] = v
        for cls, snap in S["classes"].values():
            d = vars(cls)
            for k, v in snap.items():
                if d.get(k, missing) is not v:
                    notes.append("%s.%s.%s %s" % (cls.__module__, cls.__qualname__, k,
                                                  "deleted" if k not in d else "replaced"))
                    try:
                        setattr(cls, k, v)
                    except Exception:
                        pass
            for k in [k for k in d if k not in snap]:
                if callable(d[k]) or (k.startswith("__") and k.endswith("__")):
                    notes.append("%s.%s.%s added" % (cls.__module__, cls.__qualname__, k))
                    try:
                        delattr(cls, k)
                    except Exception:
                        pass
        return notes

    def check_hooks():
        notes = []
        h = S["hooks"]
        for k, cbs in h["events"].items():
            cur = ip.events.callbacks.get(k)
            if cur is None or len(cur) != len(cbs) or any(a is not b for a, b in zip(cur, cbs)):
                notes.append("IPython %s callbacks changed" % k)
                ip.events.callbacks[k] = list(cbs)
        for a in hook_lists:
            cur = getattr(ip, a)
            if len(cur) != len(h["lists"][a]) or any(x is not y for x, y in zip(cur, h["lists"][a])):
                notes.append("IPython %s changed" % a)
                setattr(ip, a, list(h["lists"][a]))
        if ip.custom_exceptions is not h["custom"][0] or ip.CustomTB is not h["custom"][1]:
            notes.append("IPython custom exception handler set")
            ip.custom_exceptions, ip.CustomTB = h["custom"]
        trace, profile, excepthook, displayhook = h["sys"]
        if sys.gettrace() is not trace:
            notes.append("sys.settrace used")
            sys.settrace(trace)
        if sys.getprofile() is not profile:
            notes.append("sys.setprofile used")
            sys.setprofile(profile)
        if sys.excepthook is not excepthook:
            notes.append("sys.excepthook replaced")
            sys.excepthook = excepthook
        if sys.displayhook is not displayhook:
            notes.append("sys.displayhook replaced")
            sys.displayhook = displayhook
        if ip.compile is not h["compile"]:
            notes.append("IPython compiler replaced")
            ip.compile = h["compile"]
        for k in [k for k in vars(ip) if k not in h["instance"]]:
            if callable(getattr(type(ip), k, None)):
                notes.append("IPython method %s overridden" % k)
                try:
                    delattr(ip, k)
                except Exception:
                    pass
        return notes

    def clear_last():
        for a in ("last_type", "last_value", "last_traceback", "last_exc"):
            if hasattr(sys, a):
                try:
                    delattr(sys, a)
                except Exception:
                    pass

    def before_answer(args):
        if S["dirty"]:  # an answer cell ran since the last course cell: nothing new to trust
            return {"notes": []}
        cur = dict(ns)
        for k, v in cur.items():
            if S["ns"].get(k, missing) is not v:
                S["course"].add(k)
        S["course"] &= set(cur)
        S["ns"] = cur
        snapshot()
        for cache in (linecache.cache, getattr(linecache, "_ipython_cache", {})):
            for key in list(cache):
                try:
                    text = "".join(cache[key][2])
                except Exception:
                    continue
                if any(m in text for m in markers):
                    cache.pop(key, None)
        clear_last()
        S["dirty"] = True
        return {"notes": []}

    def before_course(args):
        notes = []
        if S["dirty"]:
            for k in sorted(S["course"]):
                old, now = S["ns"].get(k, missing), ns.get(k, missing)
                if now is old or k.startswith("_"):
                    continue
                if old is not missing and (k in protected or (k in tools and watched(old))):
                    notes.append("name %s (set by the course) rebound" % k)
                    ns[k] = old
                else:
                    S["course"].discard(k)
            notes += check_builtins() + check_modules() + check_hooks()
            S["ns"] = dict(ns)
            S["dirty"] = False
        if args.get("test"):
            snapshot()
            b = S["builtins"]
            for k in list(ns):
                if not k.startswith("_") and k in b and k not in S["course"] and ns[k] is not b[k]:
                    S["stash"][k] = ns.pop(k)
                    notes.append("%s shadows a built-in (tests used the built-in)" % k)
            for k in args.get("reads", ()):
                v = ns.get(k, missing)
                if v is missing or getattr(type(v), "__module__", None) != "__main__":
                    continue
                for base, plain in plain_types:
                    if isinstance(v, base):
                        S["converted"][k] = (v, plain(v))
                        ns[k] = S["converted"][k][1]
                        notes.append("%s (a %s subclass defined in the notebook) was tested as a plain %s"
                                     % (k, base.__name__, base.__name__))
                        break
                else:
                    notes.append("review: %s is an object of class %s defined in the notebook" % (k, type(v).__name__))
            clear_last()
        return {"notes": notes}

    def after_test(args):
        notes = check_builtins() + check_modules() + check_hooks()
        lineno = None
        tb = getattr(sys, "last_traceback", None)
        while tb is not None:
            if tb.tb_frame.f_code.co_name == "<module>":
                lineno = tb.tb_lineno
                break
            tb = tb.tb_next
        clear_last()
        for k, v in S["stash"].items():
            if k not in ns:
                ns[k] = v
        S["stash"].clear()
        for k, (orig, plain) in S["converted"].items():
            if ns.get(k, missing) is plain:
                ns[k] = orig
        S["converted"].clear()
        # S["ns"] is left as it was: what course cells and tests bound since the
        # last check becomes trusted at the next before_answer
        return {"notes": notes, "lineno": lineno}

    calls = {"before_answer": before_answer, "before_course": before_course, "after_test": after_test}

    def call(steps):
        return [calls[name](args) for name, args in steps]

    snapshot()
    guard = types.ModuleType("_coursekit_grading_guard")
    guard.call = call
    sys.modules["_coursekit_grading_guard"] = guard
'''

#: Expression that calls the installed guard with a list of (step, args).
GUARD_CALL = "__import__('sys').modules['_coursekit_grading_guard'].call({steps!r})"

#: What the guard watches; the worker adds ``protected_data`` and ``protected_tools`` per notebook.
GUARD_CONFIG = {
    # modules whose functions and classes tests may call: these modules ...
    "modules": ["builtins", "math", "cmath", "operator", "statistics", "functools", "numpy", "numpy.testing",
                "numpy.linalg", "numpy.random", "pandas", "pandas.testing", "pandas.api.types", "scipy.stats",
                "scipy.optimize"],
    # ... and these packages with all their modules
    "packages": ["coursekit"],
    # classes whose methods are watched: those exported by these modules ...
    "class_modules": ["pandas"],
    # ... and by these packages with all their modules
    "class_prefixes": ["coursekit"],
    # names IPython itself puts into builtins around each execution
    "volatile": ["_", "__", "___", "exit", "quit", "get_ipython", "display", "__IPYTHON__", "__IPYTHON__active",
                 "dreload", "__builtin__"],
    "markers": ["BEGIN HIDDEN TESTS"],
}
