// The memory traffic of the COBA neuron loop with trivial arithmetic, to see what a loop that
// moves the same bytes costs on this machine whatever it computes (issue 12).
//
// Per element and step it reads V, t_spike, g_e, g_i and the two pending arrival columns and
// writes V, g_e, g_i, the flag byte and (mode 0) the zeroed pending columns, as neurotype's
// COBA loop does. Mode 1 leaves out the two zeroing stores; mode 2 has no pending columns.
// Prints the best of 7 passes in ns per element-step.
//
//   gcc -O3 -march=native -ffast-math -o /tmp/loop_floor tools/loop_floor.c
//   /tmp/loop_floor N STEPS MODE        e.g. /tmp/loop_floor 4000 20000 0
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double *column(int n, double x) {
  double *c = aligned_alloc(64, ((n * 8 + 63) / 64) * 64);
  for (int k = 0; k < n; k++) c[k] = x;
  return c;
}

// One step over every element; `mode` is a constant in each call below, so each of the three
// loops is compiled (and vectorised) on its own.
static inline __attribute__((always_inline)) void step(
    int mode, int n, double t, double *restrict v, const double *restrict ts,
    double *restrict ge, double *restrict gi, double *restrict pe, double *restrict pi,
    unsigned char *restrict f) {
  for (int k = 0; k < n; k++) {
    double a = ge[k] * 0.98, b = gi[k] * 0.99;
    if (mode < 2) {
      a += pe[k];
      b += pi[k];
    }
    double x = v[k] + 0.005 * (-(v[k] + 60) + a * (0 - v[k]) + b * (-80 - v[k]));
    x = (t - ts[k]) < 5 ? -60 : x;
    ge[k] = a;
    gi[k] = b;
    if (mode == 0) {
      pe[k] = 0;
      pi[k] = 0;
    }
    v[k] = x;
    f[k] = x > -50;
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 4000;
  int steps = argc > 2 ? atoi(argv[2]) : 20000;
  int mode = argc > 3 ? atoi(argv[3]) : 0;
  double *v = column(n, -55), *ts = column(n, -1e9), *ge = column(n, 0.1), *gi = column(n, 0.1);
  double *pe = column(n, 0), *pi = column(n, 0);
  unsigned char *f = aligned_alloc(64, ((n + 63) / 64) * 64);
  double best = 1e9, sink = 0;
  for (int rep = 0; rep < 7; rep++) {
    double t0 = now();
    for (int s = 0; s < steps; s++) {
      double t = s * 0.1;
      switch (mode) {
        case 0: step(0, n, t, v, ts, ge, gi, pe, pi, f); break;
        case 1: step(1, n, t, v, ts, ge, gi, pe, pi, f); break;
        default: step(2, n, t, v, ts, ge, gi, pe, pi, f); break;
      }
      sink += v[s % n];
    }
    double dt = (now() - t0) / ((double)steps * n) * 1e9;
    if (dt < best) best = dt;
  }
  printf("n = %d, mode %d: %.3f ns per element-step  (checksum %g)\n", n, mode, best, sink);
  return 0;
}
