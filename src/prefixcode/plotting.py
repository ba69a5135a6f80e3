"""Pictures: code trees, lengths against surprisal, the waste split, convergence, h(x).

matplotlib is imported only when a picture is drawn (``pip install prefixcode[plot]``).
Every function draws on the given ``ax`` (a matplotlib Axes) or on a new figure, and
returns the Figure; save it with ``fig.savefig("out.png")``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import bad_argument

__all__ = [
    "adaptive_tree",
    "binary_entropy_curve",
    "bits_per_symbol",
    "code_tree",
    "convergence",
    "lengths_vs_surprisal",
    "loss_curves",
    "waste_bars",
]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ImportError("plotting needs matplotlib: pip install 'prefixcode[plot]'") from e
    return plt


def _axes(ax: Any, figsize: tuple[float, float]) -> tuple[Any, Any]:
    if ax is not None:
        return ax.figure, ax
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def _label(symbol: Any) -> str:
    if isinstance(symbol, tuple):
        return "".join(str(s) for s in symbol)
    text = str(symbol)
    if " " in text and len(text) > 8:  # two lines for long names such as "partly cloudy"
        head, _, tail = text.partition(" ")
        return f"{head}\n{tail}"
    return text


def _tree_layout(tree: Any) -> dict[str, tuple[float, float]]:
    """Top-down layout: leaves left to right in digit order, parents centred over children."""
    pos: dict[str, tuple[float, float]] = {}
    slot = [0]

    def place(node: str) -> float:
        children = sorted(tree.successors(node), key=lambda c: tree.edges[node, c]["digit"])
        depth = tree.nodes[node].get("depth", len(node))
        if not children:
            x = float(slot[0])
            slot[0] += 1
        else:
            xs = [place(c) for c in children]
            x = (xs[0] + xs[-1]) / 2
        pos[node] = (x, -float(depth))
        return x

    place("")
    return pos


def _with_unused_branches(tree: Any, arity: int) -> list[str]:
    """Add the unused branches of an incomplete code to `tree` (nodes marked ``unused``).

    Every inner node gets its missing digits as leaves: the code space the code never
    uses (the course's point about 1111). Returns the added nodes.
    """
    from .code import DIGITS

    added = []
    for node in [n for n in tree.nodes if tree.out_degree(n) > 0 or n == ""]:
        if "symbol" in tree.nodes[node]:
            continue
        for d in DIGITS[:arity]:
            child = node + d
            if child not in tree:
                tree.add_node(child, prefix=child, depth=len(child), unused=True)
                tree.add_edge(node, child, digit=d)
                added.append(child)
    return added


def _pick_labels(leaves: list[str], pos: dict, priority: dict, limit: int, min_gap: float) -> list[str]:
    """Up to `limit` leaves to label, highest priority first, at least `min_gap` slots apart."""
    chosen: list[str] = []
    taken: list[float] = []
    for leaf in sorted(leaves, key=lambda n: (-priority.get(n, 0.0), len(n), n)):
        x = pos[leaf][0]
        if all(abs(x - t) >= min_gap for t in taken):
            chosen.append(leaf)
            taken.append(x)
            if len(chosen) == limit:
                break
    return chosen


def _symbol_text(symbol: Any) -> str:
    """A leaf's symbol: strings as they are, other symbols (numbers, tuples) as Python shows them."""
    if isinstance(symbol, str):
        return _label(symbol)
    if isinstance(symbol, tuple):
        return _label(symbol) if all(isinstance(s, str) and len(s) == 1 for s in symbol) else repr(symbol)
    return repr(symbol)


def code_tree(
    code: Any, p: Any = None, ax: Any = None, title: str | None = None, max_labels: int = 40,
    show_unused: bool = True,
) -> Any:
    """Draw a code's tree top-down: digits on the edges, symbol, p and codeword at leaves.

    Symbols are drawn in bold (numbers as numbers), codewords in blue monospace, like the
    digits on the edges, so a symbol ``3`` and a codeword ``10`` are not confused. An
    incomplete code's unused branches are drawn dashed, ending in an open circle.

    Parameters
    ----------
    code : PrefixCode
        The code (its :meth:`~prefixcode.code.PrefixCode.tree` is drawn).
    p : array_like, mapping or Distribution, optional
        Probabilities to show at the leaves; by default the code's ``source``, if any.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        A title.
    max_labels : int, default 40
        At most this many leaves are labelled: with more leaves, the most probable
        (else the shortest) that fit side by side are, and a note under the tree says
        how many were left out.
    show_unused : bool, default True
        Draw the unused branches of an incomplete code.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import prefixcode as pc
    >>> from prefixcode import plotting
    >>> code = pc.PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    >>> fig = plotting.code_tree(code, p={"a": 0.5, "b": 0.3, "c": 0.2})
    >>> len(fig.axes)
    1
    """
    tree = code.tree()
    probs: dict | None = None
    if p is not None:
        from .analysis import analyze

        probs = {r.symbol: r.p for r in analyze(p, code).symbols}
    elif getattr(code, "source", None) is not None:
        src = code.source
        probs = {s: float(w) for s, w in zip(src.symbols, src.probs)}
    unused = _with_unused_branches(tree, int(code.arity)) if show_unused else []
    pos = _tree_layout(tree)
    leaves = [n for n in tree.nodes if tree.out_degree(n) == 0 and not tree.nodes[n].get("unused")]
    slots = len(leaves) + len(unused)
    depth = max((len(n) for n in tree.nodes), default=0)
    # labelled leaves need room for "p=0.0123" and their codeword side by side
    per_leaf = 1.05 if slots <= 16 else 0.8
    all_fit = len(leaves) <= max_labels
    width = min(max(5.0, per_leaf * slots + 1), 34.0 if all_fit else 18.0)
    fig, ax = _axes(ax, (width, 1.5 + 1.05 * max(depth, 1)))
    font = 9 if slots <= 12 else 7
    if all_fit:
        labelled = leaves
    else:  # a label needs about 0.8 inch; keep labelled leaves that far apart
        gap = 0.8 / max(width / max(slots, 1), 1e-9)
        priority = {n: (probs.get(tree.nodes[n].get("symbol"), 0.0) if probs else 0.0) for n in leaves}
        labelled = _pick_labels(leaves, pos, priority, max_labels, gap)
    show_digits = slots <= max(max_labels, 1) * 2
    for u, v in tree.edges:
        (x0, y0), (x1, y1) = pos[u], pos[v]
        dashed = bool(tree.nodes[v].get("unused"))
        ax.plot([x0, x1], [y0, y1], color="0.7" if dashed else "0.55", lw=1.2, zorder=1,
                ls=(0, (4, 3)) if dashed else "-")
        if show_digits:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, tree.edges[u, v]["digit"], fontsize=font,
                    ha="center", va="center", color="tab:blue", zorder=3, family="DejaVu Sans Mono",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
    inner = [n for n in tree.nodes if tree.out_degree(n) > 0]
    ax.scatter([pos[n][0] for n in inner], [pos[n][1] for n in inner], s=18, color="0.35", zorder=2)
    ax.scatter([pos[n][0] for n in leaves], [pos[n][1] for n in leaves], s=40, color="tab:orange",
               zorder=2)
    if unused:
        ax.scatter([pos[n][0] for n in unused], [pos[n][1] for n in unused], s=40, facecolors="white",
                   edgecolors="0.55", linewidths=1.2, zorder=2)
        if len(unused) <= max_labels:
            for n in unused:
                x, y = pos[n]
                ax.text(x, y - 0.14, f"unused\n{n}", ha="center", va="top", fontsize=font,
                        color="0.45", family="DejaVu Sans Mono", linespacing=1.15)
    for leaf in labelled:
        x, y = pos[leaf]
        sym = tree.nodes[leaf].get("symbol")
        lines = [_symbol_text(sym)]
        if probs is not None and sym in probs:
            lines.append(f"p={probs[sym]:.3g}")
        t = ax.text(x, y - 0.14, lines[0], ha="center", va="top", fontsize=font, weight="bold",
                    family="DejaVu Sans", linespacing=1.15)
        t.set_gid("symbol")
        offset = 0.14 + 0.19 * (lines[0].count("\n") + 1) * font / 9
        if len(lines) > 1:
            ax.text(x, y - offset, lines[1], ha="center", va="top", fontsize=font,
                    family="DejaVu Sans").set_gid("p")
            offset += 0.19 * font / 9
        ax.text(x, y - offset, leaf, ha="center", va="top", fontsize=font, color="tab:blue",
                family="DejaVu Sans Mono").set_gid("codeword")
    left_out = len(leaves) - len(labelled)
    if left_out:
        which = "the most probable" if probs else "the shortest"
        ax.text(0.5, 0.0, f"{len(labelled)} of {len(leaves)} codewords labelled ({which} that fit); "
                f"{left_out} left out", transform=ax.transAxes, ha="center", va="top", fontsize=8,
                color="0.3").set_gid("left-out")
    xs = [xy[0] for xy in pos.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(-depth - (1.0 if labelled else 0.3), 0.3)
    ax.set_axis_off()
    complete = "" if not unused else f", {len(unused)} unused branch{'es' * (len(unused) != 1)} dashed"
    ax.set_title(title or f"code tree ({len(leaves)} codewords{complete})")
    return fig


def adaptive_tree(
    code_or_trace: Any, message: Any = None, step: int = -1, ax: Any = None, title: str | None = None
) -> Any:
    """Draw an adaptive Huffman tree after one step of its trace.

    Internal nodes show their weight and implicit number (``#k``), leaves their symbol
    too; the NYT leaf is drawn grey. Edges carry their bit.

    Parameters
    ----------
    code_or_trace : AdaptiveHuffman or list of AdaptiveStep
        A trace (``code.trace(message)``), or a code and then `message`.
    message : iterable of symbols, optional
        The message, when a code is given.
    step : int, default -1
        Which step's tree (an index into the trace; -1 is the last).
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        A title; by default the step, its symbol and the bits sent.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import prefixcode as pc
    >>> from prefixcode import plotting
    >>> fig = plotting.adaptive_tree(pc.AdaptiveHuffman(), "abracadabra", step=4)
    >>> len(fig.axes)
    1
    """
    if isinstance(code_or_trace, (list, tuple)):
        trace = list(code_or_trace)
    elif hasattr(code_or_trace, "trace") and message is not None:
        trace = code_or_trace.trace(message)
    else:
        raise bad_argument("code_or_trace", "an AdaptiveHuffman trace, or a code and a message",
                           code_or_trace)
    if not trace:
        raise bad_argument("code_or_trace", "a trace of at least one step", code_or_trace)
    if isinstance(step, bool) or not isinstance(step, int) or not -len(trace) <= step < len(trace):
        raise bad_argument("step", f"an index into the {len(trace)} steps", step)
    at = trace[step]
    tree = at.tree()
    pos = _tree_layout(tree)
    leaves = [n for n in tree.nodes if tree.out_degree(n) == 0]
    depth = max(len(n) for n in tree.nodes)
    fig, ax = _axes(ax, (min(max(5.0, 1.0 * len(leaves) + 1), 30.0), 1.5 + 1.05 * max(depth, 1)))
    font = 9 if len(leaves) <= 16 else 7
    for u, v in tree.edges:
        (x0, y0), (x1, y1) = pos[u], pos[v]
        ax.plot([x0, x1], [y0, y1], color="0.55", lw=1.2, zorder=1)
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, tree.edges[u, v]["digit"], fontsize=font,
                ha="center", va="center", color="tab:blue", zorder=3,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
    for node, data in tree.nodes(data=True):
        x, y = pos[node]
        leaf = tree.out_degree(node) == 0
        color = "0.75" if data["nyt"] else "tab:orange" if leaf else "0.35"
        ax.scatter([x], [y], s=40 if leaf else 18, color=color, zorder=2)
        if leaf:
            name = "NYT" if data["nyt"] else _label(data.get("symbol"))
            text = f"{name}\nw={data['weight']}\n#{data['number']}"
            ax.text(x, y - 0.14, text, ha="center", va="top", fontsize=font, linespacing=1.15)
        else:
            ax.text(x + 0.12, y + 0.08, f"{data['weight']}  #{data['number']}", ha="left",
                    va="bottom", fontsize=font - 1, color="0.25")
    xs = [xy[0] for xy in pos.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(-depth - 1.0, 0.4)
    ax.set_axis_off()
    if title is None:
        sent = f"NYT {at.codeword or '(empty)'} + {at.escape}" if at.new else at.codeword
        title = f"after step {at.index}: {at.symbol!r} (sent {sent})"
    ax.set_title(title)
    return fig


def lengths_vs_surprisal(reports: Any, ax: Any = None, title: str | None = None) -> Any:
    """Codeword lengths against the ideal lengths -log2 p, one marker set per code.

    Points on the diagonal meet their ideal length; above it a symbol pays more than its
    surprisal, below it less. A Shannon code sits in the band between the diagonal and
    one bit above it.

    Parameters
    ----------
    reports : CodeReport, Comparison or sequence of CodeReport
        From :func:`prefixcode.analyze` or :func:`prefixcode.compare`.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import prefixcode as pc
    >>> from prefixcode import plotting
    >>> r = pc.analyze([0.5, 0.25, 0.25], ["0", "10", "11"], name="complete")
    >>> fig = plotting.lengths_vs_surprisal(r)
    """
    reports = _report_list(reports)
    fig, ax = _axes(ax, (6.0, 4.5))
    markers = "osD^vP*X"
    top = 1.0
    for k, r in enumerate(reports):
        rows = [s for s in r.symbols if s.p > 0 and s.length is not None]
        if not rows:
            continue
        scale = math.log2(r.arity)
        x = [s.surprisal for s in rows]
        y = [s.length * scale for s in rows]
        top = max(top, max(x), max(y))
        # a small horizontal offset per code keeps equal points of several codes visible
        off = (k - (len(reports) - 1) / 2) * 0.06
        ax.scatter(np.add(x, off), y, marker=markers[k % len(markers)], s=36, alpha=0.85,
                   label=r.name or f"code {k + 1}", zorder=3)
    grid = np.linspace(0, top + 0.5, 50)
    ax.plot(grid, grid, color="0.3", lw=1, label="length = -log2 p")
    ax.fill_between(grid, grid, grid + 1, color="0.85", label="Shannon band [-log2 p, -log2 p + 1)")
    ax.set_xlabel("ideal length -log2 p(x)  (bits)")
    ax.set_ylabel("codeword length l(x)  (bits)")
    ax.set_xlim(0, top + 0.5)
    ax.set_ylim(0, top + 1.2)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(title or "codeword lengths against surprisal")
    ax.grid(alpha=0.3)
    return fig


def _report_list(reports: Any) -> list:
    from .analysis import CodeReport, Comparison

    if isinstance(reports, CodeReport):
        return [reports]
    if isinstance(reports, Comparison):
        return list(reports.reports)
    if isinstance(reports, Sequence) and reports and all(isinstance(r, CodeReport) for r in reports):
        return list(reports)
    raise bad_argument("reports", "a CodeReport, a Comparison or a list of CodeReport", reports)


def waste_bars(reports: Any, ax: Any = None, title: str | None = None) -> Any:
    """The wasted bits L - H of each code as a stacked bar: KL(p || q^) + unused code space.

    Parameters
    ----------
    reports : Comparison or sequence of CodeReport
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import prefixcode as pc
    >>> from prefixcode import plotting
    >>> p = [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]
    >>> t = pc.compare(p, {"course": ["00", "01", "100", "101", "1100", "1101", "11100", "11101"]})
    >>> fig = plotting.waste_bars(t)
    """
    reports = _report_list(reports)
    n = len(reports)
    fig, ax = _axes(ax, (max(5.0, 1.5 * n + 2), 4.2))
    x = np.arange(n)
    kl = np.array([r.kl for r in reports])
    unused = np.array([r.unused_space for r in reports])
    ax.bar(x, kl, width=0.6, color="tab:blue", label="KL(p || q^): wrong distribution")
    ax.bar(x, unused, width=0.6, bottom=kl, color="tab:orange", label="log2(1/K): unused code space")
    total = kl + unused
    for i, r in enumerate(reports):
        ax.text(i, total[i], f"{r.wasted:.3f}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, [_wrap(r.name or f"code {i + 1}") for i, r in enumerate(reports)], fontsize=9)
    ax.set_ylabel("wasted bits per symbol, L - H")
    ax.set_ylim(0, max(float(total.max()), 0.05) * 1.25)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(title or "where the wasted bits go")
    ax.grid(axis="y", alpha=0.3)
    return fig


def _wrap(text: str, width: int = 14) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


def convergence(table: Any, ax: Any = None, title: str | None = None) -> Any:
    """Bits per source symbol of extension codes, L_n / n, converging to H within 1/n.

    Parameters
    ----------
    table : Table
        From :func:`prefixcode.experiments.extension_codes` (columns ``n``, ``L_n/n``,
        ``H``, ``H + 1/n``).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from prefixcode import experiments, plotting
    >>> fig = plotting.convergence(experiments.extension_codes([0.9, 0.1], k=3))
    """
    n = np.array(table.column("n"), dtype=float)
    ln = np.array(table.column("L_n/n"), dtype=float)
    h = float(table.column("H")[0])
    fig, ax = _axes(ax, (6.0, 4.2))
    nn = np.linspace(n.min(), n.max(), 200)
    ax.fill_between(nn, h, h + 1 / nn, color="0.88", label="H <= L_n/n < H + 1/n")
    ax.plot(n, ln, "o-", color="tab:blue", label="L_n / n (Huffman on n-blocks)")
    ax.axhline(h, color="tab:red", lw=1.2, ls="--", label=f"entropy H = {h:.4f}")
    ax.set_xlabel("block length n (source symbols per codeword)")
    ax.set_ylabel("bits per source symbol")
    ax.set_xticks(n)
    ax.set_ylim(h - 0.05, max(float(ln.max()), h + 1 / n.min()) + 0.05)
    ax.legend(fontsize=8)
    ax.set_title(title or "extension codes converge to the entropy")
    ax.grid(alpha=0.3)
    return fig


def binary_entropy_curve(
    ax: Any = None, marks: Sequence[float] = (0.25, 0.5), title: str | None = None
) -> Any:
    """The binary entropy function h(x) on [0, 1], with marked points.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    marks : sequence of float, default (0.25, 0.5)
        Probabilities to mark with their h(x).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from prefixcode import plotting
    >>> fig = plotting.binary_entropy_curve()
    """
    from .measures import binary_entropy

    x = np.linspace(0.0, 1.0, 401)
    fig, ax = _axes(ax, (5.5, 4.0))
    ax.plot(x, binary_entropy(x), color="tab:blue", lw=2, label="h(x)")
    for m in marks:
        hm = float(binary_entropy(m))
        ax.plot([m], [hm], "o", color="tab:red")
        ax.annotate(f"h({m:g}) = {hm:.3f}", (m, hm), textcoords="offset points", xytext=(8, -14),
                    fontsize=9)
    ax.set_xlabel("probability x of one outcome")
    ax.set_ylabel("h(x)  (bits)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.08)
    ax.set_title(title or "binary entropy h(x) = -x log2 x - (1-x) log2 (1-x)")
    ax.grid(alpha=0.3)
    return fig


def loss_curves(table: Any, ax: Any = None, title: str | None = None) -> Any:
    """Cross-entropy, KL and mean negative log-likelihood against a model parameter q.

    Parameters
    ----------
    table : Table
        The ``curves`` table of :func:`prefixcode.experiments.classification_loss`
        (columns ``q``, ``cross-entropy``, ``KL``, ``NLL / n``).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from prefixcode import experiments, plotting
    >>> fig = plotting.loss_curves(experiments.classification_loss().curves)
    """
    q = np.array(table.column("q"), dtype=float)
    fig, ax = _axes(ax, (6.0, 4.2))
    styles = {"cross-entropy": "-", "NLL / n": ":", "KL": "--"}
    for name, style in styles.items():
        y = np.array(table.column(name), dtype=float)
        ax.plot(q, y, style, lw=2, label=name)
    best = q[int(np.argmin(table.column("cross-entropy")))]
    ax.axvline(best, color="0.4", lw=1, label=f"minimum at q = {best:g}")
    ax.set_xlabel("model probability q of the first outcome")
    ax.set_ylabel("loss (bits per sample)")
    ax.set_ylim(0, 3)
    ax.legend(fontsize=8, loc="upper center")
    ax.set_title(title or "three losses, one minimiser")
    ax.grid(alpha=0.3)
    return fig


def bits_per_symbol(report: Any, ax: Any = None, title: str | None = None) -> Any:
    """Bits per symbol of every coder on one message, against H_0, H_1 and H_2.

    One horizontal bar per coder of a :class:`~prefixcode.analysis.MessageComparison`
    (from :func:`~prefixcode.compare_message`): the payload, and stacked on it the
    table the decoder must also be sent; vertical lines at the message's empirical
    entropies H_0, H_1 and H_2.

    Parameters
    ----------
    report : MessageComparison
    ax : matplotlib Axes, optional
    title : str, optional
        By default the report's title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import prefixcode as pc
    >>> from prefixcode import plotting
    >>> r = pc.compare_message("abracadabra" * 20, coders=["fixed", "huffman", "arithmetic"])
    >>> fig = plotting.bits_per_symbol(r)
    """
    rows = getattr(report, "rows", None)
    entropies = getattr(report, "entropies", None)
    if rows is None or entropies is None:
        raise bad_argument("report", "a MessageComparison (from compare_message)", report)
    n = len(rows)
    fig, ax = _axes(ax, (8.5, 0.42 * n + 1.6))
    y = np.arange(n)
    payload = np.array([r.payload_per_symbol for r in rows])
    table = np.array([r.table_per_symbol for r in rows])
    total = payload + table
    ax.barh(y, payload, height=0.62, color="tab:blue", label="payload")
    ax.barh(y, table, height=0.62, left=payload, color="tab:orange", label="table")
    right = max(float(total.max()), max((h for h in entropies if h is not None), default=0.0), 0.05)
    # the value at the end of each bar; a bar that runs far past the others is cut and marked
    limit = right * 1.18
    cut = float(np.sort(total)[-2]) * 1.6 if n > 2 else math.inf
    if float(total.max()) > cut:
        limit = max(cut, max((h for h in entropies if h is not None), default=0.0)) * 1.18
    for i, t in enumerate(total):
        shown = min(float(t), limit / 1.18 * 1.1)
        mark = " >" if t > shown else ""
        ax.text(shown + limit * 0.01, i, f"{t:.3f}{mark}", va="center", fontsize=8)
    styles = ("-", "--", ":")
    for k, h in enumerate(entropies):
        if h is not None:
            ax.axvline(h, color="0.15", ls=styles[k % 3], lw=1.2, label=f"H_{k} = {h:.3f}")
    ax.set_yticks(y, [r.label for r in rows], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, limit * 1.08)
    ax.set_xlabel("bits per symbol (payload + table)")
    ax.set_title(title or getattr(report, "title", "bits per symbol"), fontsize=10)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig
