onconnect = () => console.log('shared says hi');
