print("loading two")
