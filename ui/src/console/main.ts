import { mount } from "svelte";
import Console from "./Console.svelte";
import { HttpBackend } from "./backend";
import "./console.css";

const target = document.getElementById("console");
if (!target) throw new Error("console.html has no #console element");
export default mount(Console, { target, props: { backend: new HttpBackend() } });
