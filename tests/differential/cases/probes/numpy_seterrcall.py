# np.seterrcall installs a callback that a later division triggers.
# %%
import numpy as np
np.seterr(all="call")
def on_error(kind, flag):
    print("numpy error:", kind)
# %%
np.seterrcall(on_error)
# %%
x = np.array([1.0]) / 0
