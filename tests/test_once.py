import threading
import time

from vigil.once import Once


def test_threads_asking_together_get_the_one_value_made():
    made = []

    def make() -> object:
        time.sleep(0.05)  # slow enough for every thread to arrive before it is made
        made.append(object())
        return made[-1]

    once = Once(make)
    got = []
    threads = [threading.Thread(target=lambda: got.append(once.get())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1 and got == made * 8 and once.get() is made[0]
