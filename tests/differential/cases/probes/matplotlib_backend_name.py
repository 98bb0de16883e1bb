# The matplotlib backend name printed.
# %%
import matplotlib
import matplotlib.pyplot as plt
print("inline" in matplotlib.get_backend())
