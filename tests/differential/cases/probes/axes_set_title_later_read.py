# ax.set_title in one cell, the title written to a file in a later cell.
# %%
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
# %%
ax.set_title("Loss")
# %%
with open("title.txt", "w") as out:
    out.write(ax.get_title())
