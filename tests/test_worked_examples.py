"""Every number of the course material (WORKED_EXAMPLES.md), through the public API.

The numbers about codes and the analyzer appear further down, as those parts land.
"""

from __future__ import annotations

import math

import pytest

import prefixcode as pc

CLIMATE = [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]
REVERSED = CLIMATE[::-1]


def test_weather_station_entropy():
    assert pc.entropy(CLIMATE) == pytest.approx(2.228972, abs=5e-7)
    assert round(pc.entropy(CLIMATE), 2) == 2.23


def test_weather_data_file_holds_the_course_distributions():
    w = pc.datasets.load("weather.json")
    assert w["climate"] == CLIMATE
    assert w["reversed_climate"] == REVERSED
    assert len(w["states"]) == 8


def test_two_state_weather():
    assert pc.entropy([0.5, 0.5]) == 1.0
    assert pc.entropy([1] * 8) == pytest.approx(3.0)
    assert pc.surprisal(0.25) == pytest.approx(2.0)            # rain
    assert round(pc.surprisal(0.75), 3) == 0.415                # sun
    assert round(pc.entropy([0.75, 0.25]), 3) == 0.811


def test_binary_entropy_shape():
    assert pc.binary_entropy(0.0) == 0.0
    assert pc.binary_entropy(1.0) == 0.0
    assert pc.binary_entropy(0.5) == 1.0
    assert pc.binary_entropy(0.3) == pytest.approx(pc.binary_entropy(0.7))
    assert pc.binary_entropy(0.4) < 1.0


def test_classification_cross_entropy():
    one_hot = [0, 0, 0, 0, 0, 0, 0, 1]
    assert round(pc.cross_entropy(one_hot, REVERSED), 3) == 1.515
    assert pc.cross_entropy(one_hot, REVERSED) == pytest.approx(-math.log2(0.35))
    assert pc.cross_entropy(one_hot, one_hot) == 0.0
    assert round(pc.cross_entropy([0, 1], [0.7, 0.3], base=math.e), 3) == 1.204


@pytest.mark.parametrize(
    ("p", "q", "h", "hpq", "kl"),
    [
        ([0.8, 0.2], [0.6, 0.4], None, 0.5919, None),                          # spam filter
        ([0.4, 0.2, 0.3, 0.1], [0.3, 0.3, 0.2, 0.2], None, 1.3662, None),     # vehicle classes
        ([0.2, 0.8], [0.3, 0.7], 0.5004, 0.5261, 0.0257),                      # ad click
        ([0.3, 0.2, 0.4, 0.1], [0.25, 0.25, 0.35, 0.15], 1.2799, 1.3028, 0.0229),  # fruit
    ],
    ids=["spam", "vehicles", "ad-click", "fruit"],
)
def test_natural_log_examples(p, q, h, hpq, kl):
    nats = math.e
    assert round(pc.cross_entropy(p, q, base=nats), 4) == hpq
    if h is not None:
        assert round(pc.entropy(p, base=nats), 4) == h
        assert round(pc.kl_divergence(p, q, base=nats), 4) == kl
    # KL computed directly equals H(P, Q) - H(P)
    assert pc.kl_divergence(p, q, base=nats) == pytest.approx(
        pc.cross_entropy(p, q, base=nats) - pc.entropy(p, base=nats), abs=1e-12
    )


def test_minimising_cross_entropy_kl_and_nll_pick_the_same_q():
    samples = ["sun", "sun", "rain", "sun", "fog", "sun", "rain", "sun"]
    emp = pc.Distribution.from_samples(samples)
    candidates = [emp, {"sun": 0.5, "rain": 0.3, "fog": 0.2}, {"sun": 0.7, "rain": 0.2, "fog": 0.1},
                  {"sun": 1 / 3, "rain": 1 / 3, "fog": 1 / 3}]

    def nll(q):
        return -sum(math.log2(pc.Distribution.from_mapping(q)[s] if isinstance(q, dict) else q[s])
                    for s in samples) / len(samples)

    by_ce = min(range(4), key=lambda i: pc.cross_entropy(emp, candidates[i]))
    by_kl = min(range(4), key=lambda i: pc.kl_divergence(emp, candidates[i]))
    by_nll = min(range(4), key=lambda i: nll(candidates[i]))
    assert by_ce == by_kl == by_nll == 0  # the empirical distribution wins all three
    # and the average negative log-likelihood is the cross-entropy
    for q in candidates:
        assert nll(q) == pytest.approx(pc.cross_entropy(emp, q), rel=1e-12)


def test_entropy_extremes():
    assert pc.entropy([0, 0, 1, 0]) == 0.0
    assert pc.entropy([1] * 5) == pytest.approx(math.log2(5))
    assert pc.entropy([0.7, 0.2, 0.1]) < math.log2(3)


# -- the code numbers (code.py, construct.py) -------------------------------------------
COURSE_CODE = ["00", "01", "100", "101", "1100", "1101", "11100", "11101"]


def test_course_code_kraft_sum_and_implied_distribution():
    code = pc.PrefixCode.from_codewords(COURSE_CODE)
    assert code.kraft_sum == 0.9375
    assert not code.is_complete
    assert code.length_array.tolist() == [2, 2, 3, 3, 4, 4, 5, 5]
    assert code.implied_distribution()[0] == 0.25          # a 2-bit codeword: 2^-2


def test_average_lengths_of_the_course_codes():
    course = pc.PrefixCode.from_codewords(COURSE_CODE)
    fixed = pc.fixed_length(8)
    assert fixed.length_array.tolist() == [3] * 8
    assert round(fixed.expected_length(CLIMATE), 2) == 3.00
    assert round(course.expected_length(CLIMATE), 2) == 2.42
    assert course.expected_length(CLIMATE) == pytest.approx(2.42, abs=1e-12)
    assert round(course.expected_length(REVERSED), 2) == 4.58
    assert course.expected_length(REVERSED) == pytest.approx(4.58, abs=1e-12)
    # the average length is the cross-entropy with q = 2^-len (not normalized)
    q = list(course.implied_distribution().values())
    assert pc.cross_entropy(CLIMATE, q, normalize=False) == pytest.approx(2.42)


def test_huffman_code_of_the_weather_station():
    code = pc.huffman(CLIMATE)
    assert round(code.expected_length(), 2) == 2.33
    assert code.expected_length() == pytest.approx(2.33, abs=1e-12)
    assert code.is_complete
    assert pc.entropy(CLIMATE) <= code.expected_length() < pc.entropy(CLIMATE) + 1
    # Huffman beats the course code, and both beat the fixed-length code
    assert code.expected_length() < pc.PrefixCode.from_codewords(COURSE_CODE).expected_length(CLIMATE) < 3
