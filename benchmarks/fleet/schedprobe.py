#!/usr/bin/python3
"""Control for the console stall benchmark: a process that does nothing but sleep 10 ms at a
time and records how late it wakes. Its lateness is what the shared machine's scheduler alone
costs; the console's lateness beyond it is the console's own event-loop work. Stops on SIGTERM
and prints p50/p99/max."""
import signal
import sys
import time

late = []
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
last = time.monotonic()
while running:
    time.sleep(0.010)
    now = time.monotonic()
    late.append((now - last - 0.010) * 1000)
    last = now
late.sort()
if late:
    pick = lambda p: max(0.0, late[min(len(late) - 1, int(p / 100 * len(late)))])
    print("  control (idle process, same machine, same time): %d wakeups of 10 ms: p50 %.1f ms, "
          "p99 %.1f ms, max %.1f ms; %d > 50 ms" % (len(late), pick(50), pick(99), late[-1],
                                                   sum(1 for x in late if x > 50)))
sys.stdout.flush()
