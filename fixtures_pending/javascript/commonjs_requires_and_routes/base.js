const express = require('express');
const health = require('./health');

const app = express();
app.get('/health', health);

module.exports = app;
