import React from "react";
import { createRoot } from "react-dom/client";

const App = () => React.createElement("h1", null, "STATIC-E2E-OK");
createRoot(document.getElementById("root")).render(React.createElement(App));
