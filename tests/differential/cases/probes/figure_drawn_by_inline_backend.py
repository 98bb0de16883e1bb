# Tick label texts of a named axes read in a later cell, after the notebook has drawn the figure.
# %%
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 10])
# %%
print([t.get_text() for t in ax.get_yticklabels()][:2])
