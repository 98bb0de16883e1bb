# plt.show() then plt.savefig() in the same cell: the saved figure is blank after show.
# %%
import matplotlib.pyplot as plt
plt.figure(figsize=(2, 2), dpi=40)
plt.plot([0, 1], [0, 1])
plt.show()
plt.savefig("after_show.png")
