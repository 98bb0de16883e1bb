# try/except NameError around a module alias that is only imported in a later cell.
# %%
try:
    print(np.pi > 3)
except NameError:
    print("no numpy yet")
# %%
import numpy as np
print(np.e > 2)
